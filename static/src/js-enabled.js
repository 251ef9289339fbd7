// Lets GOV.UK Frontend's styles know JavaScript is running. A file, not inline, for the CSP.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
