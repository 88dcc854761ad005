"""Outgoing email, off the request path. Every message is written to the task queue (the
"email" backend of TASKS, kept in the database) and sent later by the worker
(`manage.py email_worker`, outbox.worker) through the real backend, EMAIL_DELIVERY_BACKEND:

- `outbox.backends.QueuedEmailBackend` is EMAIL_BACKEND, so what Django, Wagtail and
  django_comments send (password resets, workflow notifications) is queued too;
- `outbox.delivery.enqueue()` queues messages our own code builds;
- `outbox.delivery.deliver()` sends, in the worker; a message that fails is queued again,
  later (see delivery.RETRY_DELAYS), and after the last attempt it is logged and kept,
  listed in the admin to be sent again (outbox.failed, outbox.views);
- `outbox.health` tells the diagnostics check the worker's last beat and the queue's state
  (registered with base.health from OutboxConfig.ready()).

It imports nothing of ours but base (that registry): any app may send mail through it.
"""
