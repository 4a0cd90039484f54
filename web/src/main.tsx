import { render } from 'preact';
import { App } from './app/app.js';
import './styles/app.css';

render(<App />, document.getElementById('app')!);
