from qsi_awards.main import main

main()
