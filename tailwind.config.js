/** Tailwind CSS 3 build for the Notes app: `npm run css` writes static/css/app.css. */
module.exports = {
  content: ['./views/**/*.templ', './views/**/*.go', './static/js/app.js'],
  // Dark follows prefers-color-scheme unless the toggle put .light on <html>;
  // the toggle's .dark forces it on.
  darkMode: ['variant', [
    '@media (prefers-color-scheme: dark) { &:not(:where(.light, .light *)) }',
    '&:where(.dark, .dark *)',
  ]],
  theme: {
    extend: {
      colors: {
        accent: {
          50: '#eef2ff', 100: '#e0e7ff', 200: '#c7d2fe', 300: '#a5b4fc', 400: '#818cf8',
          500: '#6366f1', 600: '#4f46e5', 700: '#4338ca', 800: '#3730a3', 900: '#312e81',
        },
      },
    },
  },
  plugins: [require('@tailwindcss/forms'), require('@tailwindcss/typography')],
};
