FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
# The locked dependencies (every one pinned, with its hashes) in their own layer, rebuilt when the lock changes.
COPY requirements/base.txt requirements/base.txt
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements/base.txt
COPY . .
RUN DJANGO_SECRET_KEY=build-only DJANGO_SETTINGS_MODULE=observatory.settings.production python manage.py collectstatic --noinput
RUN useradd --create-home observatory && mkdir -p /app/var && chown observatory /app/var
USER observatory
EXPOSE 8000
CMD ["gunicorn", "observatory.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
