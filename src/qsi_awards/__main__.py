from qsi_awards.entry import main

main()
