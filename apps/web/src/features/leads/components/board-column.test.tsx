import { DndContext } from '@dnd-kit/core';
import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithProviders } from '../../../test/render';
import { BoardColumn } from './board-column';

const branchId = '0190f0f0-0000-7000-8000-000000000003';

describe('BoardColumn', () => {
  it("heads the stage with every lead in it and what they are worth in each currency, not only the page's", async () => {
    await renderWithProviders(
      <DndContext>
        <BoardColumn
          status="NEW"
          count={57}
          amounts={[
            { currency: 'PEN', total: 12_345_600 },
            { currency: 'USD', total: 79_900 },
          ]}
          shown={50}
          branchId={branchId}
          loading={false}
        >
          <div>card</div>
        </BoardColumn>
      </DndContext>,
      { path: '/board' },
    );
    const column = await screen.findByRole('region', { name: 'Columna Nuevo, 57 leads' });
    expect(within(column).getByTestId('board-column-count')).toHaveTextContent('57');
    const totals = within(column).getByTestId('board-column-total');
    expect(totals).toHaveTextContent('S/ 123,456.00');
    expect(totals).toHaveTextContent('USD 799.00');
    expect(column).toHaveTextContent('Se ven 50 de 57.');
    const all = within(column).getByRole('link', { name: 'Ver todos en la bandeja' });
    expect(all).toHaveAttribute('href', `/?status=NEW&branchId=${branchId}`);
  });

  it('writes each currency its own way (CLP has no cents) and says nothing of a page when all are shown', async () => {
    await renderWithProviders(
      <DndContext>
        <BoardColumn
          status="WON"
          count={2}
          amounts={[{ currency: 'CLP', total: 1_499_990 }]}
          shown={2}
          loading={false}
        >
          <div>card</div>
        </BoardColumn>
      </DndContext>,
      { path: '/board' },
    );
    const column = await screen.findByRole('region', { name: 'Columna Ganado, 2 leads' });
    expect(within(column).getByTestId('board-column-total')).toHaveTextContent(/\$\s?1\.499\.990$/);
    expect(within(column).queryByRole('link')).toBeNull();
  });

  it('shows no total for a stage whose leads have no product, and says when it is empty', async () => {
    await renderWithProviders(
      <DndContext>
        <BoardColumn status="LOST" count={0} amounts={[]} shown={0} loading={false}>
          {null}
        </BoardColumn>
      </DndContext>,
      { path: '/board' },
    );
    const column = await screen.findByRole('region', { name: 'Columna Perdido, 0 leads' });
    expect(within(column).getByTestId('board-column-total')).toBeEmptyDOMElement();
    expect(column).toHaveTextContent('Sin leads');
  });
});
