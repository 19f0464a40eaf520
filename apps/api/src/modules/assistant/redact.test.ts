import { describe, expect, it } from 'vitest';
import { redact } from './redact';

describe('redact: what never reaches the LLM provider', () => {
  it.each([
    ['mi cel 987 654 321', 'mi cel [número]'],
    ['mi cel 987/654/321', 'mi cel [número]'],
    ['mi cel 987_654_321', 'mi cel [número]'],
    ['mi cel 987.654.321', 'mi cel [número]'],
    ['mi cel 987-654-321', 'mi cel [número]'],
    ['mi cel 987\\654\\321', 'mi cel [número]'],
    ['llámame al +51 987 654 321 hoy', 'llámame al [número] hoy'],
    ['fijo (01) 234-5678', 'fijo [número]'],
    ['9 8 7 6 5 4 3 2 1', '[número]'],
    ['meu zap (11) 98765-4321', 'meu zap [número]'],
    ['dni 45871236', 'dni [número]'],
    ['cpf 123.456.789-09', 'cpf [número]'],
    ['tarjeta 4111 1111 1111 1111', 'tarjeta [número]'],
  ])('phones and document numbers in any separator style: %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    ['escríbeme a rosa.quispe@gmail.com', 'escríbeme a [correo]'],
    ['escríbeme a x [at] gmail.com', 'escríbeme a [correo]'],
    ['escríbeme a x(at)gmail(dot)com', 'escríbeme a [correo]'],
    ['escríbeme a x @ gmail . com', 'escríbeme a [correo]'],
    ['rosa arroba gmail punto com', '[correo]'],
    ['rosa arroba hotmail', '[correo]'],
    ['meu email é joao [arroba] uol [ponto] com [ponto] br', 'meu email é [correo]'],
    ['x at yahoo dot es por favor', '[correo] por favor'],
  ])('e-mails, also written out: %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    ['vivo en Av. Larco 345, Miraflores', 'vivo en [dirección], Miraflores'],
    ['envíalo a Jr. de la Unión 512', 'envíalo a [dirección]'],
    ['en Calle 5 #23-45, Bogotá', 'en [dirección], Bogotá'],
    ['moro na Rua Augusta, 1500', 'moro na [dirección]'],
    ['Avenida Arequipa 2450 dpto 501', '[dirección]'],
    ['av 28 de julio 1234', '[dirección]'],
    ['Jirón Puno N° 220', '[dirección]'],
    ['Carrera 7 No. 71-21', '[dirección]'],
    ['Prolongación Iquitos 1180 Of. 3', '[dirección]'],
    ['Mz. B Lt. 12, Los Olivos', '[dirección], Los Olivos'],
    ['Praça da Sé 100', '[dirección]'],
  ])('street addresses: %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    'la victus con rtx 4050? precio?',
    'Laptop Lenovo IdeaPad 3 15" Ryzen 5 5500U',
    'i7-13700H con 16GB y 512GB',
    'cuesta S/ 3,499.00 o S/ 12,499.00?',
    'R$ 1.299.900 é caro',
    'la calle estaba cerrada, llego en 20 minutos',
    'me lo separan para el 12/03?',
    'URGENTE prioridad alta',
  ])('leaves product talk alone: %s', (text) => {
    expect(redact(text)).toBe(text);
  });
});
