"""Content: rupee amounts, the role file format (pydantic models) and the plain frozen
classes answering reads, their checks, the YAML loader and the JSON Schema.

The floor below answering: it knows data, never how an answer looks.
"""
