"""The password hasher, sized for the 2-core target (bench/bench_hashing.py prints the figures).

Argon2id (memory-hard: a GPU or ASIC guessing passwords pays for the memory, not only the arithmetic) with
OWASP's first recommended setting: 19 MiB, 2 passes, 1 lane (a sync gunicorn worker hashes on one core, so
more lanes only add threads competing for the same two cores). Measured on the 2-core machine: 25 ms of CPU
per sign-in against 232 ms for Django's default PBKDF2 (1,000,000 SHA-256 iterations), so the last of 50
people signing in at once waits about 0.6 s on an idle machine instead of about 6 s. Stored hashes name their own parameters: a PBKDF2 hash still
verifies, and is rewritten with this hasher when its owner next signs in (as is an Argon2 hash with other
parameters).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class SizedArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
