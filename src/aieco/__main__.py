from aieco.entry import main

main()
