# syntax=docker/dockerfile:1
# The production image: one image for web (gunicorn), worker, beat and migrate.
# Built and run by docker-compose.yml; see README.md "Production".

# --- Stage 1: GOV.UK Frontend compiled from Sass into static/dist ---------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static/build.mjs static/build.mjs
COPY static/src static/src
RUN npm run build

# --- Stage 2: the Python application ----------------------------------------------------------------
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=shortbreaks.settings.production

# What WeasyPrint loads at run time (Pango, HarfBuzz, fontconfig via pangoft2), and a font for PDFs.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0 \
       libpangoft2-1.0-0 \
       libharfbuzz0b \
       libharfbuzz-subset0 \
       libffi8 \
       fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
# The lock: every package, transitive ones too, checked against its hash.
RUN pip install --require-hashes -r requirements.txt

COPY . .
COPY --from=assets /build/static/dist static/dist

# Static files are collected into the image; the values below exist only for this one command
# (production settings refuse to load without them) and are not kept in the image's environment.
RUN DJANGO_SECRET_KEY=build-time-only-not-a-secret \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=postgres://unused@localhost:5432/unused \
    REDIS_URL=redis://localhost:6379/0 \
    python manage.py collectstatic --noinput

# Run as an unprivileged user. The code stays root-owned (read-only to the app); only media, where
# the app writes files, belongs to it (docker-compose.yml mounts a volume there).
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --no-create-home --shell /usr/sbin/nologin app \
    && mkdir -p /app/media \
    && chown app:app /app/media
USER app

EXPOSE 8000
# Workers, threads and the database pool: shortbreaks/gunicorn_config.py, sized for the cores given.
CMD ["gunicorn", "-c", "python:shortbreaks.gunicorn_config", "shortbreaks.wsgi:application", "--bind", "0.0.0.0:8000"]
