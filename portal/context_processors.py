"""What every page's layout needs: the user's role and organisation, unread notifications."""

# The header shows at most this many unread notifications ("99+" beyond): counting every unread row
# of a bureau account that hears of every base (100,000s) would cost every page a long index scan.
UNREAD_SHOWN = 99


def portal(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notifications": 0, "unread_label": "0"}
    # Unordered: the count of the first hundred needs no sort of every unread row.
    count = user.notifications.filter(read_at__isnull=True).order_by()[: UNREAD_SHOWN + 1].count()
    label = f"{UNREAD_SHOWN}+" if count > UNREAD_SHOWN else str(count)
    return {"unread_notifications": count, "unread_label": label}
