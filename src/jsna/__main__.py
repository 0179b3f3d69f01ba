from jsna.cli import main

raise SystemExit(main())
