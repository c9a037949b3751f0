"""An item whose latest report carries the old OBS flag gets an open OBS point.

Until now OBS was a flag on one report and the next report dropped it; from here the
point lives on the item until it is closed. Only the latest report's flag is taken
over: a flag an earlier month's report carried was already dropped by the report after.
"""

from django.db import migrations


def open_points(apps, schema_editor):
    StatusReport = apps.get_model("plans", "StatusReport")
    ObsPoint = apps.get_model("plans", "ObsPoint")
    latest: dict[int, object] = {}
    for report in StatusReport.objects.order_by("item_id", "period", "created_at", "id").iterator():
        latest[report.item_id] = report
    ObsPoint.objects.bulk_create(
        ObsPoint(
            item_id=report.item_id,
            month=report.period,
            text=report.obs_text or "OBS-punkt",
            opened_by_id=report.author_id,
            opened_by_name=report.author_name,
            opened_at=report.created_at,
        )
        for report in latest.values()
        if report.obs
    )


class Migration(migrations.Migration):
    dependencies = [("plans", "0003_obs_points")]

    operations = [migrations.RunPython(open_points, migrations.RunPython.noop)]
