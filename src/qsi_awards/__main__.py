from qsi_awards.cli import main

main()
