/** CSS files are imported as minified text (scripts/build.mjs) and put in the widget's shadow root. */
declare module '*.css' {
  const css: string;
  export default css;
}
