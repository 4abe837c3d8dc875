from .launch import main

if __name__ == "__main__":  # (a process started by spawn imports this module again)
    main()
