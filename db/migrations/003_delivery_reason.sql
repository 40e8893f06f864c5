-- Why a channel got an alert ("subscription #4: \"Hesai\""), shown with the alert.
ALTER TABLE deliveries ADD COLUMN reason TEXT;
