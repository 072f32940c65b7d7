"""Direct foreign-key object permissions (django-guardian) for the big table of bases: a join on an
indexed key instead of guardian's generic (content type, text id) pair."""

from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from bases.models.base import PilotBase


class PilotBaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(PilotBase, on_delete=models.CASCADE)


class PilotBaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(PilotBase, on_delete=models.CASCADE)
