"""OPOP programs: the program and its replication, curriculum, training with
certificates, support records (grants, assistance), indicators with targets,
and the progress dashboard with its forecast."""
