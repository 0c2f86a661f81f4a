"""The simulator owns a deterministic synthetic marketplace year driven through the real
capabilities, and its ground truth. It may use every capability and the floors below; reporting
and the simulator never import each other."""
