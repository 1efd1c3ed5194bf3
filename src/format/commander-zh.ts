/**
 * commander's own usage messages (an unknown option, a missing argument, a
 * value not among the choices), in Chinese for --lang zh. commander words
 * them and prints them itself; they are read here by the forms commander
 * 14 gives them (test/cli/lang.test.ts runs each, so an upgrade that rewords
 * one fails there), and a line of any other form is left as it is.
 */
const FORMS: readonly (readonly [RegExp, (...m: string[]) => string])[] = [
  [/^error: unknown option '(.+)'$/, (o) => `错误：未知选项 '${o}'`],
  [/^error: unknown command '(.+)'$/, (c) => `错误：未知命令 '${c}'`],
  [/^\(Did you mean (.+)\?\)$/, (x) => `（是否指 ${x}？）`],
  [/^error: option '(.+)' argument '(.*)' is invalid\. Allowed choices are (.+)\.$/, (o, v, choices) => `错误：选项 '${o}' 的值 '${v}' 无效，可选：${choices}`],
  [/^error: option '(.+)' argument missing$/, (o) => `错误：选项 '${o}' 缺少值`],
  [/^error: missing required argument '(.+)'$/, (a) => `错误：缺少必需的参数 '${a}'`],
  [/^error: too many arguments for '(.+)'\. Expected (\d+) arguments? but got (\d+)\.$/, (c, want, got) => `错误：'${c}' 的参数过多：应为 ${want} 个，实际 ${got} 个`],
  [/^\(run with --help for usage\)$/, () => "（用法见 --help）"],
];

export function commanderZh(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      for (const [re, say] of FORMS) {
        const m = re.exec(line);
        if (m) return say(...m.slice(1));
      }
      return line;
    })
    .join("\n");
}
