"""The Qt layer: windows, item models and dialogs over the core."""
