import { Fragment, useMemo, type ReactNode } from 'react';
import { parseMarkdown, type Block, type Inline } from './markdown.js';
import { shortRef } from '../evidence.js';

interface MarkdownProps {
  source: string;
  /** Opens an evidence reference linked from the text. */
  onOpenRef(ref: string): void;
}

/** A link whose text is its own reference reads better shortened; the full one is its tooltip. */
function isBareRef(node: Extract<Inline, { type: 'ref' }>): boolean {
  const only = node.children[0];
  return node.children.length === 1 && (only?.type === 'text' || only?.type === 'code') && only.text === node.ref;
}

function renderInline(nodes: Inline[], onOpenRef: (ref: string) => void): ReactNode {
  return nodes.map((node, index) => {
    switch (node.type) {
      case 'text':
        return <Fragment key={index}>{node.text}</Fragment>;
      case 'code':
        return <code key={index}>{node.text}</code>;
      case 'strong':
        return <strong key={index}>{renderInline(node.children, onOpenRef)}</strong>;
      case 'em':
        return <em key={index}>{renderInline(node.children, onOpenRef)}</em>;
      case 'link':
        return (
          <a key={index} href={node.href} target="_blank" rel="noopener noreferrer">
            {renderInline(node.children, onOpenRef)}
          </a>
        );
      case 'ref':
        return (
          <button key={index} type="button" className="inline-ref" title={node.ref} onClick={() => onOpenRef(node.ref)}>
            {isBareRef(node) ? shortRef(node.ref) : renderInline(node.children, onOpenRef)}
          </button>
        );
    }
  });
}

function renderBlock(block: Block, index: number, onOpenRef: (ref: string) => void): ReactNode {
  switch (block.type) {
    case 'paragraph':
      return <p key={index}>{renderInline(block.children, onOpenRef)}</p>;
    case 'heading': {
      const Tag = (['h3', 'h4', 'h5', 'h6', 'h6', 'h6'] as const)[block.level - 1] ?? 'h6';
      return <Tag key={index}>{renderInline(block.children, onOpenRef)}</Tag>;
    }
    case 'list': {
      const items = block.items.map((item, itemIndex) => <li key={itemIndex}>{renderInline(item, onOpenRef)}</li>);
      return block.ordered ? <ol key={index}>{items}</ol> : <ul key={index}>{items}</ul>;
    }
    case 'code':
      return (
        <pre key={index}>
          <code>{block.text}</code>
        </pre>
      );
    case 'table':
      return (
        <div key={index} className="table-scroll">
          <table className="data-table">
            <thead>
              <tr>
                {block.header.map((cell, cellIndex) => (
                  <th key={cellIndex}>{renderInline(cell, onOpenRef)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {block.rows.map((row, rowIndex) => (
                <tr key={rowIndex}>
                  {row.map((cell, cellIndex) => (
                    <td key={cellIndex}>{renderInline(cell, onOpenRef)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      );
  }
}

export function Markdown({ source, onOpenRef }: MarkdownProps) {
  const blocks = useMemo(() => parseMarkdown(source), [source]);
  return <div className="markdown">{blocks.map((block, index) => renderBlock(block, index, onOpenRef))}</div>;
}
