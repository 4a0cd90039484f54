// Stylesheets are imported for their side effect; Vite bundles them into one hashed file.
declare module '*.css';
