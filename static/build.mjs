// Builds static/dist/: GOV.UK Frontend compiled from Sass with the council's look, its JavaScript
// and the images it needs (not the crown, not GDS Transport). Run with `npm run build`.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const src = join(root, "static", "src");
const dist = join(root, "static", "dist");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "images"), { recursive: true });

// moj: the MOJ Design System components the case-work pages use (static/src/moj.scss), whose
// own GOV.UK Frontend imports are written from the project root.
for (const name of ["app", "print", "moj"]) {
  const result = sass.compile(join(src, `${name}.scss`), {
    loadPaths: [join(root, "node_modules"), root],
    style: "compressed",
    quietDeps: true,
  });
  writeFileSync(join(dist, `${name}.css`), result.css);
}

cpSync(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk-frontend.min.js"));
cpSync(join(src, "app.mjs"), join(dist, "app.js"));
// MOJ sortable table: a self-contained module that app.js imports (progressive enhancement).
const moj = join(root, "node_modules", "@ministryofjustice", "frontend", "moj");
// Its source map is not shipped, so the line naming it goes (the hashed static storage would
// look for the map).
writeFileSync(
  join(dist, "moj-sortable-table.js"),
  readFileSync(join(moj, "components", "sortable-table", "sortable-table.bundle.mjs"), "utf8")
    .replace(/^\/\/# sourceMappingURL=.*$/gm, ""),
);
// MOJ filter: on small screens, a "Show filter" button opens the filter panel (app.js).
writeFileSync(
  join(dist, "moj-filter-toggle-button.js"),
  readFileSync(
    join(moj, "components", "filter-toggle-button", "filter-toggle-button.bundle.mjs"),
    "utf8",
  ).replace(/^\/\/# sourceMappingURL=.*$/gm, ""),
);
// The MOJ timeline's document links and the filter's tags and buttons name these icons (moj.css).
for (const icon of [
  "icon-document.svg",
  "icon-tag-remove-cross.svg",
  "icon-tag-remove-cross-white.svg",
  "icon-toggle-plus-minus.svg",
  "icon-close-cross-black.svg",
]) {
  cpSync(join(moj, "assets", "images", icon), join(dist, "images", icon));
}
cpSync(join(src, "js-enabled.js"), join(dist, "js-enabled.js"));
cpSync(join(src, "favicon.svg"), join(dist, "images", "favicon.svg"));
// GOV.UK Frontend's footer CSS names govuk-crest.svg. The crest is for GOV.UK services only, so
// it is not shipped; a blank image of that name lets the hashed static storage resolve the CSS.
writeFileSync(
  join(dist, "images", "govuk-crest.svg"),
  '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>\n',
);
console.log(`static assets built in ${dist}`);
