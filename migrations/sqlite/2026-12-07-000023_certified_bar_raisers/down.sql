DROP INDEX users_certified_active;
