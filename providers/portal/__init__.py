"""Provider staff's own part of the service: who may come in (`access`), their pages (`views`,
`urls`, under /provider/) and their API (`api`, under /api/v1/provider/). Each other app adds its
own provider pages and home page panel (settings.PROVIDER_HOME_PANELS), so this package imports
none of those apps."""
