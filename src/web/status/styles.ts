/**
 * The page's only stylesheet, inlined: the status page must render when
 * everything else is down, so it loads nothing (no fonts, no scripts, no CDN).
 * Colours meet WCAG 2.1 contrast: text >= 4.5:1, chart marks >= 3:1 against
 * the background; states are also always written in words (see states.ts).
 * Traffic colours are the Okabe–Ito palette, safe for colour-blind readers.
 */
export const STYLES = `
:root{color-scheme:light dark;--bg:#fff;--fg:#1f2328;--muted:#59636e;--border:#d1d9e0;--grid:#d1d9e0;--card:#f6f8fa;--link:#0550ae;
--ok:#1a7f37;--degraded:#9a6700;--partial:#bc4c00;--major:#cf222e;--nodata:#818b98;--banner-fg:#fff;--nodata-banner:#59636e;
--err:#cf222e;--p50:#0969da;--p95:#bc4c00}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--fg:#e6edf3;--muted:#9198a1;--border:#3d444d;--grid:#30363d;--card:#151b23;--link:#4493f8;
--ok:#3fb950;--degraded:#d29922;--partial:#db6d28;--major:#f85149;--nodata:#656c76;--banner-fg:#0d1117;--nodata-banner:#9198a1;
--err:#f85149;--p50:#4493f8;--p95:#db6d28}}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
a{color:var(--link)}
.wrap{max-width:68rem;margin:0 auto;padding:1rem}
.skip{position:absolute;left:-100vw}.skip:focus{left:1rem;top:1rem;background:var(--bg);padding:.5rem}
header.top{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.25rem 1rem}
header.top h1{font-size:1.5rem;margin:.25rem 0}
.updated{color:var(--muted);font-size:.875rem;margin:0}
h2{font-size:1.25rem;margin:1.75rem 0 .5rem}
.s-operational{--c:var(--ok)}.s-degraded_performance{--c:var(--degraded)}.s-partial_outage{--c:var(--partial)}.s-major_outage{--c:var(--major)}.s-no_data{--c:var(--nodata)}
.banner{border-radius:.5rem;padding:1rem 1.25rem;margin:1rem 0;background:var(--c);color:var(--banner-fg)}
.banner.s-no_data{background:var(--nodata-banner)}
.banner h2{margin:0;font-size:1.3rem;overflow-wrap:anywhere}
.banner p,.banner ul{margin:.5rem 0 0}.banner ul{padding-left:1.25rem}
.banner a{color:inherit;font-weight:600;display:inline-block;min-height:44px;line-height:44px}
.notice{border:1px solid var(--border);border-left:4px solid var(--major);padding:.75rem 1rem;border-radius:.25rem}
.badge{display:inline-flex;align-items:center;gap:.35rem;font-size:.9rem;white-space:nowrap}
.badge .dot{width:.7rem;height:.7rem;border-radius:50%;background:var(--c);flex:none}
.components{list-style:none;margin:0;padding:0}
.component{border:1px solid var(--border);border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.component-head{display:flex;flex-wrap:wrap;align-items:baseline;justify-content:space-between;gap:.25rem 1rem}
.component h3{margin:0;font-size:1.05rem;overflow-wrap:anywhere}
.component h3 .provider{color:var(--muted);font-weight:400}
.since{color:var(--muted);font-size:.875rem;margin:.125rem 0 .5rem}
.uptime{margin:.5rem 0}
svg.bars{display:block;width:100%;height:2.25rem}
.bar{fill:var(--c)}
.bars-axis{display:flex;justify-content:space-between;gap:.5rem;font-size:.8rem;color:var(--muted)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,20rem),1fr));gap:1rem;margin-top:.75rem}
figure{margin:0}
figure h4{font-size:.9rem;margin:0 0 .25rem;font-weight:600}
.chart-box{display:grid;grid-template-columns:auto minmax(0,1fr);gap:0 .375rem;font-size:.75rem;line-height:1;color:var(--muted);margin-top:.5rem}
.y-labels{position:relative;height:7.5rem;min-width:1.75rem;text-align:right}
.y-labels span{position:absolute;right:0;transform:translateY(-50%);white-space:nowrap}
.plot-area{position:relative;min-width:0}
svg.chart{display:block;width:100%;height:7.5rem;overflow:visible}
.traffic .y-labels,.traffic svg.chart{height:11rem}
.x-labels{position:relative;height:1.25rem}
.x-labels span{position:absolute;top:.3rem;transform:translateX(-50%);white-space:nowrap}
.plot-empty{position:absolute;left:0;right:0;top:0;height:7.5rem;display:flex;align-items:center;justify-content:center;font-size:.85rem}
.traffic .plot-empty{height:11rem}
.chart line,.chart path,.chart rect.plot-bg{vector-effect:non-scaling-stroke}
.chart .grid{stroke:var(--grid);stroke-width:1}
.chart .plot-bg{fill:none;stroke:var(--grid);stroke-dasharray:3 3}
.chart .err{fill:var(--err)}
.chart path.p50{fill:none;stroke:var(--p50);stroke-width:2;stroke-linejoin:round}
.chart path.p95{fill:none;stroke:var(--p95);stroke-width:2;stroke-dasharray:6 3;stroke-linejoin:round}
.chart path.dot{stroke-width:6;stroke-linecap:round;stroke-dasharray:none}
figcaption{font-size:.85rem;color:var(--muted)}
.legend{list-style:none;margin:.25rem 0 0;padding:0;display:flex;flex-wrap:wrap;gap:.125rem 1rem}
.swatch{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;margin-right:.35rem;vertical-align:-.05rem}
.line{display:inline-block;width:1.25rem;margin-right:.35rem;vertical-align:middle;border-top:2px solid var(--p50)}
.line.p95{border-top:2px dashed var(--p95)}
.legend .name{color:var(--fg);font-weight:600;overflow-wrap:anywhere}
.p0{fill:#0072b2;background:#0072b2}.p1{fill:#e69f00;background:#e69f00}.p2{fill:#009e73;background:#009e73}.p3{fill:#cc79a7;background:#cc79a7}
.p4{fill:#56b4e9;background:#56b4e9}.p5{fill:#d55e00;background:#d55e00}.p6{fill:#f0e442;background:#f0e442}.p7{fill:#999;background:#999}
.incidents{list-style:none;margin:0;padding:0}
.incident{border:1px solid var(--border);border-left:6px solid var(--c);border-radius:.375rem;padding:.75rem 1rem;margin:0 0 .75rem}
.incident h3,.incident h4{margin:0;font-size:1.05rem;overflow-wrap:anywhere}
.incident p{margin:.25rem 0}
.incident .meta{display:flex;flex-wrap:wrap;gap:.25rem .75rem;align-items:center}
.incident .status{font-weight:600}
.incident .when,.incident .source,.incident .affected{font-size:.9rem;color:var(--muted);overflow-wrap:anywhere}
.incident .vendor{color:var(--fg)}
.incident a{display:inline-block;min-height:44px;line-height:44px}
details summary{cursor:pointer;min-height:44px;line-height:44px}
.timeline{margin:0;padding-left:1.25rem;font-size:.9rem}.timeline li{margin:.25rem 0;overflow-wrap:anywhere}
.none{color:var(--muted)}
footer{margin-top:2rem;padding-top:1rem;border-top:1px solid var(--border);color:var(--muted);font-size:.875rem}
footer a{display:inline-block;min-height:44px;line-height:44px;margin-right:1rem}
`.replace(/\n/g, '');
