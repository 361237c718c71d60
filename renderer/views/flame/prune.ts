/**
 * The flame graph's tree leaves out nodes narrower than this share of what is in view: on a
 * canvas up to 3,500 px wide they would be under the 0.35 px it draws. The first tree is
 * pruned so for the whole profile; zoomed in, the view asks for the detail it then shows (see
 * useDetailTree). The benchmark builds its tree with it too.
 */
export const FLAME_PRUNE = 1e-4;
