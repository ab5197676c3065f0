from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('sandbox', '0004_silver_claim'),
    ]

    operations = [
        migrations.CreateModel(
            name='IntegrexTicket',
            fields=[
                ('id', models.CharField(max_length=32, primary_key=True, serialize=False)),
                ('client_id', models.CharField(max_length=200)),
                ('request', models.JSONField()),
                ('answer', models.JSONField()),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('ready_at', models.DateTimeField(null=True)),
            ],
            options={
                'ordering': ['created_at'],
            },
        ),
    ]
