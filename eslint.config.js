// `pnpm lint`: the config lives in tools/lint (its own TypeScript for the parser).
export { default } from '@flightdeck/lint';
