-- The trail's wider CHECK stays: its webhook events are part of its chain.
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
