// The entry point of objweb's editor bundle: CodeMirror 6 with what a Template,
// a Script or a Page needs, behind one small function the screens' script calls.
import {EditorView, keymap, lineNumbers, highlightActiveLine, highlightActiveLineGutter,
        highlightSpecialChars, drawSelection} from "@codemirror/view";
import {EditorState} from "@codemirror/state";
import {defaultKeymap, history, historyKeymap, indentWithTab} from "@codemirror/commands";
import {bracketMatching, indentOnInput, indentUnit, syntaxHighlighting,
        defaultHighlightStyle} from "@codemirror/language";
import {highlightSelectionMatches, search, searchKeymap} from "@codemirror/search";
import {lintGutter, setDiagnostics} from "@codemirror/lint";
import {html} from "@codemirror/lang-html";
import {python} from "@codemirror/lang-python";

const LANGUAGES = {html: () => html(), python: () => python()};

// The page's style sheet does not reach into the shadow root; its custom properties do.
const THEME = EditorView.theme({
  "&": {maxHeight: "36rem", fontSize: "13px", backgroundColor: "var(--surface, #fff)"},
  ".cm-content, .cm-gutter": {minHeight: "8rem"},
  "&.cm-focused": {outline: "2px solid var(--accent, #2563eb)", outlineOffset: "1px"},
  ".cm-scroller": {fontFamily: "var(--mono, monospace)", lineHeight: "1.5"},
  ".cm-gutters": {backgroundColor: "var(--surface-2, #f4f4f5)",
                  borderRight: "1px solid var(--border, #ddd)"},
  // CodeMirror draws these marks as data: images, which the policy's img-src 'self'
  // refuses; plain CSS draws them here instead.
  ".cm-lintRange-error": {backgroundImage: "none", textDecoration: "underline wavy #c62828",
                          textUnderlineOffset: "3px"},
  ".cm-lint-marker-error": {content: "none", backgroundColor: "#c62828", borderRadius: "50%",
                            width: ".7em", height: ".7em", margin: ".15em"},
});

// Replaces `textarea` with an editor that keeps it filled in, so the form posts
// the text as it always did. `options`: language ("html" or "python"), label
// (the accessible name), describedBy (ids), error ({line, message}) and onChange.
//
// The editor lives in a shadow root of its own: CodeMirror's styles are then
// constructed style sheets, which the management screens' Content-Security-Policy
// (style-src 'self', nothing inline) allows, where a <style> element would be blocked.
export function createEditor(textarea, options = {}) {
  const language = LANGUAGES[options.language];
  const contentAttributes = {"aria-label": options.label || "Code"};
  if (options.describedBy) { contentAttributes["aria-describedby"] = options.describedBy; }
  const host = document.createElement("div");
  host.className = "code-editor-host";
  textarea.parentNode.insertBefore(host, textarea);
  const shadow = host.attachShadow({mode: "open"});
  const view = new EditorView({
    root: shadow,
    parent: shadow,
    state: EditorState.create({
      doc: textarea.value,
      extensions: [
        lineNumbers(), highlightActiveLineGutter(), highlightSpecialChars(), history(),
        drawSelection(), indentOnInput(), bracketMatching(), highlightActiveLine(),
        highlightSelectionMatches(), search({top: true}), lintGutter(),
        syntaxHighlighting(defaultHighlightStyle, {fallback: true}),
        indentUnit.of(options.language === "python" ? "    " : "  "),
        EditorState.tabSize.of(4),
        keymap.of([...defaultKeymap, ...searchKeymap, ...historyKeymap, indentWithTab]),
        EditorView.contentAttributes.of(contentAttributes),
        THEME,
        EditorView.updateListener.of((update) => {
          if (!update.docChanged) { return; }
          textarea.value = update.state.doc.toString();
          if (options.onChange) { options.onChange(); }
        }),
        language ? language() : [],
      ],
    }),
  });
  textarea.hidden = true;
  if (options.error && options.error.line) { showError(view, options.error); }
  return view;
}

// Marks the error's line (clamped to the text) and moves the cursor there.
export function showError(view, error) {
  const doc = view.state.doc;
  const line = doc.line(Math.min(Math.max(1, error.line), doc.lines));
  view.dispatch(setDiagnostics(view.state, [
    {from: line.from, to: line.to, severity: "error", message: error.message || "Error"},
  ]));
  view.dispatch({selection: {anchor: line.from}, scrollIntoView: true});
}
