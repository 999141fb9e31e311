/**
 * The HIL suite, in the order it runs (issue 5). Importing a file registers its scenario with
 * rigTest(); the runner (harness/run-hil.ts) imports this module.
 */
import './gas-ramp.js';
import './electrical-fire.js';
import './fire-to-centre.js';
import './comm-loss.js';
import './power-cycle.js';
import './broker-outage.js';
import './unsynchronised-clock.js';
