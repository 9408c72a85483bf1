// The widget's entry (embed.html): the app built without its playground
// feature (`cargo xtask worker` puts it in widget/). Its main() renders the
// compact card.
import init from '../widget/lanes_widget.js';

init();
