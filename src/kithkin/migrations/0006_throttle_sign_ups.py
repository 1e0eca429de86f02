"""Failed sign-ins and sign-ups are throttled by one mechanism: LoginFailure becomes
Attempt, with a kind; existing rows are failed sign-ins."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("kithkin", "0005_interaction_occasion"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="loginfailure", name="login_failure_username"),
        migrations.RemoveIndex(model_name="loginfailure", name="login_failure_ip"),
        migrations.RenameModel(old_name="LoginFailure", new_name="Attempt"),
        migrations.AddField(
            model_name="attempt",
            name="kind",
            field=models.CharField(
                choices=[("failed_login", "failed sign-in"), ("sign_up", "sign-up")],
                default="failed_login",
                max_length=20,
            ),
        ),
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(fields=["kind", "username", "at"], name="attempt_username"),
        ),
        migrations.AddIndex(
            model_name="attempt",
            index=models.Index(fields=["kind", "ip", "at"], name="attempt_ip"),
        ),
    ]
