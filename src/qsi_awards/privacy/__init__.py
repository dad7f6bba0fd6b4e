"""Personal data, as UK GDPR expects it to be handled: pure functions over a loaded
programme, no I/O.

- where.py: which outputs carry each field that holds personal data, and when (the
  consent to publish, the award, the judges an entry is assigned to): read from the
  render modules and templates, and checked against real renders by the tests;
- inventory.py: `qsi privacy`, the programme's personal data, who it is about, where
  it is published, consent per entry, and contact details where they should not be;
- person.py: `qsi person`, every mention of one person for a subject access request;
- archive.py: `qsi archive`, a finished edition without the personal data the
  programme's `retention:` rules do not keep.
"""
