"""The melody transformer experiment (issue 12, item 6): features, training in JAX, ONNX
export and measurement. Runs from the training environment (requirements-transformer.txt),
except features.py, which needs the app's. See docs/adr/0019."""
