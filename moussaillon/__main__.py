from moussaillon.cli import main

main()
