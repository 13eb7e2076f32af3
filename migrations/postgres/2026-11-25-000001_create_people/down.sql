DROP TABLE login_failures;
DROP TABLE app_secrets;
DROP TABLE competencies;
DROP TABLE users;
