# The EU LULUCF view stores its figures under the measure "flux_categorie_ue" (17 characters).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0008_territory_quality_facts'),
    ]

    operations = [
        migrations.AlterField(
            model_name='indicatorvalue',
            name='measure',
            field=models.CharField(max_length=32),
        ),
    ]
