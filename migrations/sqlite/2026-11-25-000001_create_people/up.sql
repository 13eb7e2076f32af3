CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('admin', 'recruiter', 'member')),
    manager_id BIGINT REFERENCES users (id),
    department TEXT,
    bar_raiser TEXT NOT NULL DEFAULT 'none' CHECK (bar_raiser IN ('none', 'in_training', 'certified', 'inactive')),
    active BOOLEAN NOT NULL DEFAULT TRUE,
    token_version BIGINT NOT NULL DEFAULT 0,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);
CREATE INDEX users_manager_id ON users (manager_id);

CREATE TABLE competencies (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    anchor_1 TEXT NOT NULL,
    anchor_2 TEXT NOT NULL,
    anchor_3 TEXT NOT NULL,
    anchor_4 TEXT NOT NULL,
    questions TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT TRUE,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE app_secrets (
    name TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);

CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    failed_at TIMESTAMP NOT NULL
);
CREATE INDEX login_failures_email_failed_at ON login_failures (email, failed_at);
