"""The Textual user interface. Only this package (and its tests) may import Textual."""
