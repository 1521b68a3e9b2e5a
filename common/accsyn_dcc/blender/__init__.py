"""What the core runs inside Blender: ``collect``, the scanner the add-on and ``accsyn-dcc scan`` both use."""
