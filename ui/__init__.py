"""The Gradio web UI for officials: ``ui.app.build_ui(assistant)`` returns the Blocks the server mounts at /ui."""
