# autoheal-once, one pass every minute. Installed by the Debian package with its line commented out, so nothing
# is restarted until you enable it: write your services in /etc/autoheal/conf.yaml, check them with
#   autoheal-once validate
# then delete the "#" in front of the last line. (Or use the systemd timer instead, never both:
#   systemctl enable --now autoheal.timer)
# Silent while every service is healthy; cron mails what it prints when it restarts something or cannot heal.
# To log to syslog instead of mail, end the command line with:  2>&1 | logger -t autoheal-once
# Restart scripts inherit this PATH (root's usual one, not cron's bare /usr/bin:/bin).
PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
#* * * * * root /usr/bin/autoheal-once
