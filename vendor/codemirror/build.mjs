// Builds objweb/zmi/static/codemirror.js (one minified script, no module loader needed)
// and codemirror.LICENSE.txt (the licence of every package bundled into it) from the
// pinned packages of package-lock.json: `npm ci && npm run build`.
import {build} from "esbuild";
import {readFileSync, readdirSync, writeFileSync, existsSync} from "node:fs";
import {join} from "node:path";

const STATIC = new URL("../../objweb/zmi/static/", import.meta.url).pathname;
const MODULES = new URL("./node_modules/", import.meta.url).pathname;

const result = await build({
  entryPoints: ["editor.mjs"], bundle: true, minify: true, format: "iife",
  globalName: "objwebCodeMirror", target: ["es2020"], metafile: true,
  legalComments: "none", outfile: join(STATIC, "codemirror.js"),
  banner: {js: "/* CodeMirror 6 for objweb, built by vendor/codemirror/build.mjs; " +
                "MIT licence, see codemirror.LICENSE.txt. */"},
});

function packageOf(path) {
  const parts = path.split("node_modules/")[1].split("/");
  return parts[0].startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

const bundled = [...new Set(Object.keys(result.metafile.inputs)
  .filter((path) => path.includes("node_modules/")).map(packageOf))].sort();
const sections = bundled.map((name) => {
  const folder = join(MODULES, name);
  const meta = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
  const licence = readdirSync(folder).find((file) => /^licen[cs]e/i.test(file));
  if (!licence) { throw new Error(`${name} ships no licence file`); }
  return `${name} ${meta.version} (${meta.license})\n\n` +
         readFileSync(join(folder, licence), "utf8").trim();
});
writeFileSync(join(STATIC, "codemirror.LICENSE.txt"),
  "The code editor of objweb's management screens bundles these packages.\n\n" +
  sections.join("\n\n" + "-".repeat(78) + "\n\n") + "\n");
console.log(`bundled ${bundled.length} packages: ${bundled.join(", ")}`);
