from listener_app.cli import main

raise SystemExit(main())
