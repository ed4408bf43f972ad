"""The case catalog: applying what a notice says to cases, rates and deadlines."""
