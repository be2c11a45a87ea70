// The demo's interruption, apart from the demo itself so the command can name it without loading
// the lab, scanner and gateway.
export class DemoInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'DemoInterrupted';
  }
}
