"""Content: rupee amounts, the role file format (one set of frozen classes that pydantic
validates and answering reads), their checks, the YAML loader and the JSON Schema.

The floor below answering: it knows data, never how an answer looks.
"""
