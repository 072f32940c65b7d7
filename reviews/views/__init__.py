"""The reviews app's screens, one module per family."""
