"""Content: rupee amounts, the frozen role models, their checks, the YAML loader and the JSON Schema.

The floor below answering: it knows data, never how an answer looks.
"""
