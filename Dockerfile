FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
COPY . .
RUN pip install --no-cache-dir . \
 && DJANGO_SECRET_KEY=build-only DJANGO_SETTINGS_MODULE=observatory.settings.production python manage.py collectstatic --noinput
RUN useradd --create-home observatory && mkdir -p /app/var && chown observatory /app/var
USER observatory
EXPOSE 8000
CMD ["gunicorn", "observatory.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3"]
